import type { Type } from '@nestjs/common';

/** The feature modules, in data-flow order. Each is a thin Nest shell over src/core. */
export const FEATURE_MODULES: Type[] = [];
