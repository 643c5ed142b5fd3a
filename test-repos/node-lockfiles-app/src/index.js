import express from "express";

import { routeTicket } from "./router.js";

const app = express();
app.use(express.json());

app.post("/tickets", async (req, res) => {
  const queue = await routeTicket(String(req.body?.text ?? ""));
  res.json({ queue });
});

app.listen(Number(process.env.PORT ?? 3000));
