<?php

namespace App\Support;

/** Counts answers per day for the dashboard (no API calls). */
class OpenAIStats
{
    public function perDay(array $answers): array
    {
        $days = [];
        foreach ($answers as $answer) {
            $days[$answer['date']] = ($days[$answer['date']] ?? 0) + 1;
        }

        return $days;
    }
}
