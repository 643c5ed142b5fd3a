<?php

namespace App\Services;

use Prism\Prism\Enums\Provider;
use Prism\Prism\Prism;

class SummaryService
{
    public function summarize(string $text): string
    {
        $response = Prism::text()
            ->using(Provider::Anthropic, 'claude-3-7-sonnet-latest')
            ->withSystemPrompt('Summarize the article in three sentences.')
            ->withPrompt($text)
            ->asText();

        return $response->text;
    }
}
