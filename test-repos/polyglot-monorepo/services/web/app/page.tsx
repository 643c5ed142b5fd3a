"use client";

import { useChat } from "@ai-sdk/react";
import { useState } from "react";

import { formatTime } from "@/lib/format";

export default function SupportChat() {
  const { messages, sendMessage } = useChat();
  const [input, setInput] = useState("");
  return (
    <main>
      {messages.map((m) => (
        <p key={m.id}>
          <b>{m.role}</b> {formatTime(new Date())}{" "}
          {m.parts.map((p, i) => (p.type === "text" ? <span key={i}>{p.text}</span> : null))}
        </p>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          sendMessage({ text: input });
          setInput("");
        }}
      >
        <input value={input} onChange={(e) => setInput(e.target.value)} placeholder="Ask support" />
      </form>
    </main>
  );
}
