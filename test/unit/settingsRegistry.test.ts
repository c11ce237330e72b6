// The settings registry (src/vscode/settingsRegistry.ts) is the extension's one list of its settings: it must say
// what package.json's contributes.configuration says (keys, defaults, types, enum values), restart the engine for
// exactly the settings the engine is loaded with, and be the only way src/vscode reads settings. Importing the
// registry here, without VS Code, also shows it stays vscode-free.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineLoadParams } from '../../src/vscode/engineLoadParams';
import {
  ENGINE_SETTINGS,
  SETTING_KEYS,
  SETTINGS,
  SETTINGS_SECTION,
  settingId,
  type ReadSetting,
  type SettingKey,
  type SettingSpec,
} from '../../src/vscode/settingsRegistry';

interface Property {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
}

const REPO = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;
const registry: Record<string, SettingSpec<unknown>> = SETTINGS;

/** Whether a value is of a JSON schema type as package.json writes it. */
const isOfType = (value: unknown, type: string): boolean => {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
};

/** How a registry and package.json's properties differ, one line each: empty when they agree. */
function differences(settings: Record<string, SettingSpec<unknown>>, props: Record<string, Property>): string[] {
  const prefix = `${SETTINGS_SECTION}.`;
  const out: string[] = [];
  for (const id of Object.keys(props)) {
    if (!id.startsWith(prefix)) out.push(`${id}: package.json's setting is not under ${prefix}`);
    else if (!Object.hasOwn(settings, id.slice(prefix.length))) out.push(`${id}: in package.json, not in the registry`);
  }
  for (const [key, spec] of Object.entries(settings)) {
    const id = prefix + key;
    const prop = props[id];
    if (!prop) {
      out.push(`${id}: in the registry, not in package.json`);
      continue;
    }
    try {
      assert.deepStrictEqual(spec.default, prop.default);
    } catch {
      out.push(
        `${id}: default ${JSON.stringify(spec.default)} in the registry, ${JSON.stringify(prop.default)} in package.json`,
      );
    }
    const types = prop.type === undefined ? [] : [prop.type].flat();
    if (types.length && !types.some((t) => isOfType(spec.default, t)))
      out.push(`${id}: the registry's default is not of package.json's type ${types.join(' | ')}`);
    const allowed = (values: readonly unknown[] | undefined) =>
      values ? JSON.stringify([...values].map(String).sort()) : 'none';
    if (allowed(spec.values) !== allowed(prop.enum))
      out.push(`${id}: values ${allowed(spec.values)} in the registry, enum ${allowed(prop.enum)} in package.json`);
  }
  return out;
}

describe('settings registry', () => {
  it('declares every setting of package.json and no other, with its default, type and enum values', () => {
    assert.ok(SETTING_KEYS.length > 30, 'the registry was read');
    assert.ok(Object.keys(properties).length > 30, "package.json's settings were read");
    assert.deepEqual(differences(registry, properties), []);
  });

  it('finds a setting missing on either side, a changed default, a wrong type and other enum values', () => {
    const withoutModelPath = Object.fromEntries(Object.entries(registry).filter(([key]) => key !== 'model.path'));
    assert.deepEqual(differences(withoutModelPath, properties), [
      'infill.model.path: in package.json, not in the registry',
    ]);
    assert.deepEqual(differences({ ...registry, 'inline.nope': { default: 1, restartsEngine: false } }, properties), [
      'infill.inline.nope: in the registry, not in package.json',
    ]);
    const changed = differences(
      {
        ...registry,
        'inline.maxTokens': { default: 65, restartsEngine: false },
        'inline.languages': { default: { '*': true }, restartsEngine: false },
        threads: { default: '0', restartsEngine: true },
        'fim.order': { default: 'auto', restartsEngine: false, values: ['auto', 'psm'] },
        backend: { default: 'local', restartsEngine: false },
      },
      properties,
    );
    assert.deepEqual(
      changed.map((line) => line.split(':')[0]),
      [
        'infill.threads',
        'infill.threads',
        'infill.inline.languages',
        'infill.inline.maxTokens',
        'infill.fim.order',
        'infill.backend',
      ],
      changed.join('\n'),
    );
    assert.ok(
      changed.includes("infill.threads: the registry's default is not of package.json's type number"),
      changed.join('\n'),
    );
  });

  it('restarts the engine for exactly the settings the engine is loaded with', () => {
    const read = new Set<SettingKey>();
    const recorder: ReadSetting = (key) => {
      read.add(key);
      return SETTINGS[key].default;
    };
    engineLoadParams(recorder, '/models/some-model');
    // model.path is the completion engine's model folder (extension.ts gives createEngineClient its modelDir), so a
    // change loads another model. infill.chat.model is not here: ChatEngines (chatModel.ts) picks chat's engine by
    // folder at each question, and restarting the completion engine for it would only unload the completion model.
    assert.ok(read.has('model.variant'), 'the load was recorded');
    read.add('model.path');
    const loadedWith = [...read].sort();
    assert.deepEqual(SETTING_KEYS.filter((key) => SETTINGS[key].restartsEngine).sort(), loadedWith);
    assert.deepEqual([...ENGINE_SETTINGS].sort(), loadedWith.map(settingId));
  });

  it('is the only way src/vscode reads settings: getConfiguration is called in settings.ts alone', () => {
    const dir = path.join(REPO, 'src', 'vscode');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.includes('settings.ts'), 'src/vscode was read');
    const readers = files.filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('getConfiguration('));
    assert.deepEqual(readers, ['settings.ts'], 'files of src/vscode that read settings without settings.ts');
  });
});
