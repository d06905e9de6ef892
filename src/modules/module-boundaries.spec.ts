/**
 * Module boundaries (docs/architecture.md, "Who may import whom"): each module owns its tables and shows the
 * others only its module, its services and its public types; services take and return domain types, and
 * controllers map them to DTOs. The rules are checked on src/modules as it is, and each rule is first shown
 * to catch a planted breach and to let the allowed form through.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const MODULES = __dirname;

interface SourceFile {
  /** Path relative to src/modules, with '/' separators. */
  path: string;
  text: string;
}

/** What another module may import: its Nest module, its services, its public types, auth's decorators. */
const PUBLIC_FILE = /\.(module|service|types|decorator)$/;

/**
 * Files declaring a provider a module exports (`exports: [AuditUploadReader]` in uploads.module.ts →
 * uploads/audit-upload-reader): public too, whatever their name.
 */
export function exportedProviderFiles(files: readonly SourceFile[]): Set<string> {
  const found = new Set<string>();
  for (const file of files.filter((f) => f.path.endsWith('.module.ts'))) {
    const exported =
      /exports:\s*\[([^\]]*)\]/
        .exec(file.text)?.[1]
        ?.split(',')
        .map((n) => n.trim()) ?? [];
    for (const name of exported) {
      const from = new RegExp(`import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*'(\\.[^']+)'`).exec(
        file.text,
      )?.[1];
      if (from)
        found.add(
          relative(MODULES, resolve(MODULES, dirname(file.path), from))
            .split(sep)
            .join('/'),
        );
    }
  }
  return found;
}
/** A controller may also return another module's response DTO through that module's mapper. */
const CONTROLLER_EXTRA = /(\/dto\/[^/]+|\.mapper)$/;
/** Files that may name DTOs: the DTOs themselves, controllers and mappers (and pipes that parse a query). */
const MAY_USE_DTOS = /(\/dto\/[^/]+|\.controller|\.mapper|\.pipe)\.ts$/;

function moduleOf(path: string): string {
  return path.split('/')[0] as string;
}

function relativeImports(file: SourceFile): string[] {
  return ts
    .preProcessFile(file.text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith('.'));
}

/** Each import of `file` that another module's boundary forbids, as a sentence. */
export function importBreaches(file: SourceFile, providers: ReadonlySet<string> = new Set()): string[] {
  const breaches: string[] = [];
  const from = moduleOf(file.path);
  for (const spec of relativeImports(file)) {
    const target = relative(MODULES, resolve(MODULES, dirname(file.path), spec))
      .split(sep)
      .join('/');
    if (target.startsWith('..')) continue; // core, common, config: not a module
    const owner = moduleOf(target);
    const inside = target.slice(owner.length);
    if (owner !== from) {
      const allowed =
        PUBLIC_FILE.test(inside) ||
        providers.has(target) ||
        (file.path.endsWith('.controller.ts') && CONTROLLER_EXTRA.test(inside));
      if (!allowed)
        breaches.push(`${file.path} imports ${target}: not part of module ${owner}'s public surface`);
    }
    if (/\/dto\//.test(target) && !MAY_USE_DTOS.test(file.path)) {
      breaches.push(`${file.path} imports the DTO ${target}: only controllers and mappers use DTOs`);
    }
  }
  return breaches;
}

/** Tables named in the entities of each module: `@Entity({ name: 'audits' })`. */
export function tableOwners(files: readonly SourceFile[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files) {
    for (const match of file.text.matchAll(/@Entity\(\{\s*name:\s*'([a-z_]+)'/g))
      owners.set(match[1] as string, moduleOf(file.path));
  }
  return owners;
}

/** Raw SQL in `file` naming ("table") a table of another module. */
export function foreignTables(file: SourceFile, owners: ReadonlyMap<string, string>): string[] {
  const from = moduleOf(file.path);
  const breaches: string[] = [];
  for (const [table, owner] of owners) {
    if (owner !== from && file.text.includes(`"${table}"`))
      breaches.push(`${file.path} names table "${table}" of module ${owner}`);
  }
  return breaches;
}

/** Public members of a service that hand out its storage (a repository or the DataSource). */
export function exposedStorage(file: SourceFile): string[] {
  if (!file.path.endsWith('.service.ts')) return [];
  const member =
    /^\s*(?:@\w+\([^)]*\)\s*)?(?:public\s+)?readonly\s+(\w+)\s*:\s*(OrgRepository|Repository|DataSource)\b/gm;
  return [...file.text.matchAll(member)].map(
    (m) => `${file.path} exposes ${m[1] as string} (${m[2] as string}): expose methods instead`,
  );
}

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts'))
    .map((path) => ({ path: path.split(sep).join('/'), text: readFileSync(join(dir, path), 'utf8') }));
}

const file = (path: string, text: string): SourceFile => ({ path, text });

describe('the boundary rules', () => {
  it("stop another module's entity, store or mapper, and let its service, module and types through", () => {
    const drift = file(
      'drift/drift.service.ts',
      [
        "import { AuditsService } from '../audits/audits.service';",
        "import type { Audit } from '../audits/audits.types';",
        "import { AuditsModule } from '../audits/audits.module';",
        "import { DomainError } from '../../core/errors';",
        "import type { AuditEntity } from '../audits/entities/audit.entity';",
        "import { AuditStore } from '../audits/audit-store';",
        "import { toModelDto } from '../models/models.mapper';",
      ].join('\n'),
    );
    expect(importBreaches(drift)).toEqual([
      "drift/drift.service.ts imports audits/entities/audit.entity: not part of module audits's public surface",
      "drift/drift.service.ts imports audits/audit-store: not part of module audits's public surface",
      "drift/drift.service.ts imports models/models.mapper: not part of module models's public surface",
    ]);
  });

  it("let another module's exported provider through, whatever its file's name, but not its helpers", () => {
    const providers = exportedProviderFiles([
      file(
        'uploads/uploads.module.ts',
        "import { AuditUploadReader } from './audit-upload-reader';\n@Module({ exports: [AuditUploadReader] })",
      ),
    ]);
    expect([...providers]).toEqual(['uploads/audit-upload-reader']);
    const imports = [
      "import { AuditUploadReader } from '../uploads/audit-upload-reader';",
      "import { invalidInput } from '../uploads/upload-errors';",
    ].join('\n');
    expect(importBreaches(file('audits/audits.controller.ts', imports), providers)).toEqual([
      "audits/audits.controller.ts imports uploads/upload-errors: not part of module uploads's public surface",
    ]);
  });

  it('let a controller map to another module’s response DTO, but no service import a DTO', () => {
    const imports =
      "import { ModelDto } from '../models/dto/model.dto';\nimport type { X } from './dto/x.dto';";
    expect(importBreaches(file('drift/drift.controller.ts', imports))).toEqual([]);
    expect(importBreaches(file('drift/drift.service.ts', imports))).toEqual([
      "drift/drift.service.ts imports models/dto/model.dto: not part of module models's public surface",
      'drift/drift.service.ts imports the DTO models/dto/model.dto: only controllers and mappers use DTOs',
      'drift/drift.service.ts imports the DTO drift/dto/x.dto: only controllers and mappers use DTOs',
    ]);
  });

  it("find raw SQL on another module's table, not on the module's own", () => {
    const owners = tableOwners([
      file('audits/entities/a.entity.ts', "@Entity({ name: 'audit_metric_values' })"),
      file('reports/entities/r.entity.ts', "@Entity({ name: 'reports' })"),
    ]);
    const sql = 'query(`SELECT min("slice") FROM "audit_metric_values"`)';
    expect(foreignTables(file('drift/drift.service.ts', sql), owners)).toEqual([
      'drift/drift.service.ts names table "audit_metric_values" of module audits',
    ]);
    expect(foreignTables(file('audits/audit-metric-values.ts', sql), owners)).toEqual([]);
  });

  it('find a service that hands out a repository or the DataSource, not one that keeps them private', () => {
    const open = file(
      'audits/audits.service.ts',
      '  readonly audits: OrgRepository<AuditEntity>;\n    @InjectDataSource() readonly dataSource: DataSource,',
    );
    expect(exposedStorage(open)).toEqual([
      'audits/audits.service.ts exposes audits (OrgRepository): expose methods instead',
      'audits/audits.service.ts exposes dataSource (DataSource): expose methods instead',
    ]);
    const closed = file(
      'audits/audits.service.ts',
      '  private readonly audits: OrgRepository<AuditEntity>;\n    @InjectDataSource() private readonly dataSource: DataSource,',
    );
    expect(exposedStorage(closed)).toEqual([]);
  });
});

describe('src/modules', () => {
  const files = sourceFiles(MODULES);
  const owners = tableOwners(files);

  it('has the modules and tables the rules speak of', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(owners.get('audit_metric_values')).toBe('audits');
    expect(owners.get('organizations')).toBe('auth');
  });

  it("imports only another module's module, services and public types (controllers: also its DTOs)", () => {
    const providers = exportedProviderFiles(files);
    expect(files.flatMap((f) => importBreaches(f, providers))).toEqual([]);
  });

  it("runs no SQL on another module's tables", () => {
    expect(files.flatMap((f) => foreignTables(f, owners))).toEqual([]);
  });

  it('has services that expose methods, not repositories or the DataSource', () => {
    expect(files.flatMap(exposedStorage)).toEqual([]);
  });
});
