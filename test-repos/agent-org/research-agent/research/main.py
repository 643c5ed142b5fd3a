import uvicorn
from fastapi import FastAPI
from langchain_openai import ChatOpenAI

app = FastAPI()
llm = ChatOpenAI(model="gpt-4o")


@app.post("/run")
async def run(task: dict) -> dict:
    answer = llm.invoke(task["question"])
    return {"answer": answer.content}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
