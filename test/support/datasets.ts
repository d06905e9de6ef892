import { resolve } from 'node:path';

/** The public datasets shipped in the repository's datasets/ folder (see datasets/README.md for their origin). */
export const DATASETS_DIR = resolve(__dirname, '../../datasets');
export const AEQUITAS_DIR = resolve(DATASETS_DIR, 'aequitas');
export const COMPAS_CSV = resolve(AEQUITAS_DIR, 'compas_for_aequitas.csv');
export const NYC_SQF_CSV = resolve(AEQUITAS_DIR, 'nyc_sqf_for_aequitas.csv');
export const DIABETES_SCORED_CSV = resolve(DATASETS_DIR, 'diabetes_readmission_scored.csv');
