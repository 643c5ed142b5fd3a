// Re-export the message classes so the rest of the app does not depend on
// the @langchain/core module layout directly.
export { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
export type { BaseMessage } from "@langchain/core/messages";
