from openai import OpenAI

client = OpenAI()


class BillingExecutor:
    async def execute(self, context, event_queue):
        reply = client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": context.get_user_input()}],
        )
        await event_queue.enqueue_event(reply.choices[0].message.content)
