import { ThrydError } from "./thryd-error.js";

/** No group of that name is deployed on the router. */
export class UnknownGroupError extends ThrydError {
  override readonly code = "THRYD_UNKNOWN_GROUP";
  readonly group: string;
  constructor(group: string) {
    super(`No deployment group named "${group}"`);
    this.group = group;
  }
}

/** A deployment names a provider the router does not know. */
export class UnknownProviderError extends ThrydError {
  override readonly code = "THRYD_UNKNOWN_PROVIDER";
  readonly provider: string;
  constructor(provider: string) {
    super(`No provider named "${provider}"`);
    this.provider = provider;
  }
}

/** A deployment id is not `<provider>/<model>`, or a group or deployment id clashes. */
export class InvalidIdentifierError extends ThrydError {
  override readonly code = "THRYD_INVALID_IDENTIFIER";
  readonly identifier: string;
  constructor(identifier: string, reason: string) {
    super(`Invalid identifier "${identifier}": ${reason}`);
    this.identifier = identifier;
  }
}

/** `createProvider` lacks a name, key or endpoint, or was given an unknown type or bad URL. */
export class ProviderCreateError extends ThrydError {
  override readonly code = "THRYD_PROVIDER_CREATE";
}

/** The provider does not serve models of that kind. */
export class ModelNotSupportedError extends ThrydError {
  override readonly code = "THRYD_MODEL_NOT_SUPPORTED";
  readonly model: string;
  readonly provider: string;
  constructor(model: string, provider: string, kind: string) {
    super(`Model "${model}" of kind ${kind} is not supported by provider "${provider}"`);
    this.model = model;
    this.provider = provider;
  }
}

/** A `DummyModel` was called with nothing queued for that kind. */
export class DummyExhaustedError extends ThrydError {
  override readonly code = "THRYD_DUMMY_EXHAUSTED";
  constructor(model: string, kind: string) {
    super(`Dummy model "${model}" has no queued ${kind} response left`);
  }
}
