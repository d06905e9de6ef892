import type { Documentation } from '../../core/compliance';
import type { ModelEntity } from './entities/model.entity';

/**
 * A model as the rest of the application sees it: its stored fields, read-only. Other modules never hold the
 * entity class (so they cannot save it or query its table); changes go through ModelsService.
 */
export type Model = Readonly<ModelEntity>;

/** A new model (POST /v1/models). */
export interface NewModel {
  name: string;
  version: string;
  description?: string;
  /** Also documentation.intendedUse. */
  intendedUse?: string;
  /** Also documentation.owner. */
  owner?: string;
  documentation?: Documentation;
}

/** The fields of a model that may change (PATCH /v1/models/{id}). */
export interface ModelChanges {
  description?: string | null;
  /** Fields given replace the stored ones; null clears a field. */
  documentation?: Documentation;
}

/** A model's differential-privacy budget (PUT /v1/models/{id}/privacy-budget); δ absent = 0. */
export interface PrivacyBudget {
  epsilon: number;
  delta?: number;
}
