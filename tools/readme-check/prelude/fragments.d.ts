// What every `fragment` block may use without declaring it: the objects a README builds once
// and then keeps using. Blocks that are not fragments never see these (they are compiled in a
// separate program), and a fragment's own declaration of a name shadows the one here.
import type {
  Router,
  ChatMessage as ThrydChatMessage,
  FunctionTool as ThrydFunctionTool,
} from "@fabricatio/thryd";
import type { FabricatioLLM } from "fabricatio";

declare global {
  /** A completion router of @fabricatio/thryd with a provider and a group `chat` deployed. */
  const router: Router<"completion">;
  /** The facade of the umbrella, `createLLM()`. */
  const llm: FabricatioLLM;
  /** A conversation so far. */
  const messages: ThrydChatMessage[];
  /** Function tools offered to the model. */
  const tools: ThrydFunctionTool[];
  /** @fabricatio/thryd's message type, as a README imports it once at the top. */
  type ChatMessage = ThrydChatMessage;
  /** @fabricatio/thryd's function tool type. */
  type FunctionTool = ThrydFunctionTool;
}
