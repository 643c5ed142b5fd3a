<?php

namespace App\Http\Controllers;

use App\Services\SummaryService;
use Illuminate\Http\Request;
use OpenAI\Laravel\Facades\OpenAI;

class AssistantController extends Controller
{
    public function answer(Request $request)
    {
        $validated = $request->validate(['question' => 'required|string|max:2000']);

        $result = OpenAI::chat()->create([
            'model' => 'gpt-4o-mini',
            'messages' => [
                ['role' => 'system', 'content' => 'Answer from the help centre only.'],
                ['role' => 'user', 'content' => $validated['question']],
            ],
        ]);

        return view('answer', ['answer' => $result->choices[0]->message->content]);
    }

    public function summary(Request $request, SummaryService $summaries)
    {
        return response()->json(['summary' => $summaries->summarize($request->input('text', ''))]);
    }
}
