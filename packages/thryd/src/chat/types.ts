// The conversation model of a completion request, in OpenAI's chat shape and field names
// (snake_case), which every provider maps from. Type-only: no runtime code lives here.

/** A JSON Schema object, passed through to the provider as given. */
export type JsonSchema = Record<string, unknown>;

/** A text content part. */
export interface TextPart {
  type: "text";
  text: string;
}

/** An image content part: an `https:` URL or a base64 `data:` URI (see `bytesToDataUri`). */
export interface ImagePart {
  type: "image_url";
  image_url: {
    url: string;
    /** OpenAI's resolution hint; other providers ignore it (it does not change the answer's meaning). */
    detail?: "auto" | "low" | "high";
  };
}

/**
 * A document content part, e.g. a PDF: `file_data` is a base64 `data:` URI
 * (`data:application/pdf;base64,…`), or `file_id` names a file uploaded to the provider
 * (OpenAI only). Anthropic receives it as a `document` block, Gemini as `inline_data`.
 */
export interface FilePart {
  type: "file";
  file: {
    file_data?: string;
    file_id?: string;
    filename?: string;
  };
}

/** Any content part of a user message. */
export type ContentPart = TextPart | ImagePart | FilePart;

/** Instructions for the model. `developer` is OpenAI's newer name; both map the same way. */
export interface SystemMessage {
  role: "system" | "developer";
  content: string | readonly TextPart[];
  name?: string;
}

/** A user turn: text, images and documents. */
export interface UserMessage {
  role: "user";
  content: string | readonly ContentPart[];
  name?: string;
}

/** A function call the model asked for, as OpenAI returns it. */
export interface ToolCall {
  /** The provider's call id, echoed back in the tool message with the result. */
  id: string;
  type: "function";
  function: {
    name: string;
    /** The arguments as the raw JSON text the model wrote; parse (and validate) it yourself. */
    arguments: string;
  };
}

/** A model turn: text, tool calls, or both. Append `response.message` to continue the conversation. */
export interface AssistantMessage {
  role: "assistant";
  content?: string | readonly TextPart[] | null;
  tool_calls?: readonly ToolCall[];
  name?: string;
}

/** The result of one tool call, sent back to the model. */
export interface ToolMessage {
  role: "tool";
  /** The `id` of the `ToolCall` this answers. */
  tool_call_id: string;
  content: string | readonly TextPart[];
}

/** One message of a conversation. */
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A function the model may call. */
export interface FunctionTool {
  type: "function";
  function: {
    /** `^[a-zA-Z0-9_-]{1,64}$`, the strictest of the three providers' rules. */
    name: string;
    description?: string;
    /** JSON Schema of the arguments object. @default { type: "object", properties: {} } */
    parameters?: JsonSchema;
    /** OpenAI's strict schema adherence. */
    strict?: boolean;
  };
}

/**
 * Whether and which tool the model must call: `auto` (it decides), `none` (no call),
 * `required` (at least one call), or one named function.
 */
export type ToolChoice =
  | "auto"
  | "none"
  | "required"
  | { type: "function"; function: { name: string } };

/** The shape of the answer: free text, any JSON object, or JSON matching a schema. */
export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: {
        /** `^[a-zA-Z0-9_-]{1,64}$`. */
        name: string;
        description?: string;
        schema: JsonSchema;
        /** Exact schema adherence where the provider offers it. */
        strict?: boolean;
      };
    };

/**
 * Why the model stopped: `stop` (a natural end or a stop sequence), `length` (the token
 * limit), `tool_calls` (it wants tools run), `content_filter` (the provider withheld content).
 */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";
