import { ThrydError } from "../errors/thryd-error.js";
import { DummyModel } from "../models/dummy-model.js";
import type { ModelKind, Provider, StreamingResponse } from "../types.js";

/**
 * A provider for tests that sends no HTTP request. Its `create*Model` methods return one
 * `DummyModel` per kind and name, which tests reach through `model(kind, name)` to queue answers.
 */
export class DummyProvider implements Provider {
  readonly name: string;
  readonly baseUrl = "http://dummy.invalid/";
  readonly #models = new Map<string, DummyModel>();

  constructor(name = "dummy") {
    this.name = name;
  }

  authHeaders(): Record<string, string> {
    return {};
  }

  #refuse(): never {
    throw new ThrydError(`Dummy provider "${this.name}" sends no HTTP requests`);
  }

  postJson<T>(): Promise<T> {
    return Promise.reject(this.#refuse());
  }

  getJson<T>(): Promise<T> {
    return Promise.reject(this.#refuse());
  }

  postStream(): Promise<StreamingResponse> {
    return Promise.reject(this.#refuse());
  }

  /** The dummy model of that kind and name, created on first use. */
  model<K extends ModelKind>(kind: K, name: string): DummyModel<K> {
    const key = `${kind}:${name}`;
    let model = this.#models.get(key);
    if (!model) {
      model = new DummyModel({ kind, name, provider: this });
      this.#models.set(key, model);
    }
    return model as DummyModel<K>;
  }

  createCompletionModel(name: string): DummyModel<"completion"> {
    return this.model("completion", name);
  }

  createEmbeddingModel(name: string): DummyModel<"embedding"> {
    return this.model("embedding", name);
  }

  createRerankModel(name: string): DummyModel<"rerank"> {
    return this.model("rerank", name);
  }
}
