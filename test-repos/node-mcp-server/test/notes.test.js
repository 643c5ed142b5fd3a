"use strict";

const assert = require("node:assert");
const { test } = require("node:test");

const { safeJoin } = require("../lib/notes");

test("safeJoin rejects paths outside the folder", () => {
  assert.throws(() => safeJoin("/tmp/notes", "../etc/passwd"));
  assert.strictEqual(safeJoin("/tmp/notes", "a.md"), "/tmp/notes/a.md");
});
