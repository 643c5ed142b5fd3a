from fastapi import FastAPI

app = FastAPI()


@app.post("/v1/orders")
async def orders(order: dict) -> dict:
    return {"status": "queued", "id": order.get("id")}
