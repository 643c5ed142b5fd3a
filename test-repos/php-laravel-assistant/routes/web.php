<?php

use App\Http\Controllers\AssistantController;
use Illuminate\Support\Facades\Route;

require __DIR__.'/auth.php';

Route::post('/assistant/answer', [AssistantController::class, 'answer'])->name('assistant.answer');
Route::post('/assistant/summary', [AssistantController::class, 'summary'])->name('assistant.summary');
