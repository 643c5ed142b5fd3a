<?php

namespace App\Support;

// use Anthropic\Client;
// $client = OpenAI::client(getenv('OPENAI_API_KEY'));

use App\Support\Concerns\HasVendorLabels;

/**
 * Vendor notes for the settings page. Nothing here calls a model.
 *
 * We compared openai-php/client, LLPhant (new OpenAIChat()) and the Gemini client
 * before choosing; see Prism::text()->using(Provider::Gemini, 'gemini-1.5-pro').
 */
class VendorNotes
{
    use HasVendorLabels;

    public const VENDORS = ['openai' => 'OpenAI', 'anthropic' => 'Anthropic', 'gemini' => 'Google'];

    public function label(string $vendor): string
    {
        $note = "use LLPhant\\Chat\\OpenAIChat; was the alternative";

        return self::VENDORS[$vendor] ?? 'Unknown';
    }

    public function stats(): OpenAIStats
    {
        return new OpenAIStats();
    }
}
