import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-model drift thresholds: the overrides a model's owners set on top of the default thresholds
 * (PUT /v1/models/{modelId}/drift-policy). NULL means the defaults apply.
 */
export class ModelDriftPolicy1764400001000 implements MigrationInterface {
  name = 'ModelDriftPolicy1764400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "models" ADD COLUMN "drift_policy" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "models" DROP COLUMN "drift_policy"`);
  }
}
