import { DeckLoaderError } from "./deck-loader-error.js";

/** Two models with one `model_id`. */
export class DuplicateModelIdError extends DeckLoaderError {
  override readonly code = "DECK_DUPLICATE_MODEL_ID";
  readonly modelId: number;

  constructor(modelId: number, models: readonly string[]) {
    super(`Models ${models.join(" and ")} share model_id ${modelId}`);
    this.modelId = modelId;
  }
}
