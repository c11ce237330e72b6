// Every infill.* setting, declared once: its default (the one package.json's contributes.configuration gives, checked
// by test/unit/settingsRegistry.test.ts), the values an enum setting allows, and whether a change restarts the
// engine. vscode-free, so plain Node (the unit tests) can import it; src/vscode/settings.ts reads the settings with it.
// The readers check the types: an enum's values must be ones its consumer takes (LoadParams, CompleteParams, ...).

import { FIM_FAMILIES } from '../core/fim/registry';

/** One setting as the registry declares it. */
export interface SettingSpec<T> {
  /** The default, as package.json gives it. */
  readonly default: T;
  /** The engine is loaded with it (the model folder, LoadParams): a change restarts the engine. */
  readonly restartsEngine: boolean;
  /** An enum setting's allowed values, as package.json's `enum` lists them. */
  readonly values?: readonly T[];
}

interface Options {
  restartsEngine?: boolean;
}

/** The engine is loaded with this setting. */
const ENGINE: Options = { restartsEngine: true };

const plain = <T>(value: T, options: Options = {}): SettingSpec<T> => ({
  default: value,
  restartsEngine: options.restartsEngine ?? false,
});

/** An enum setting: its type is the union of `values`. */
const oneOf = <const V extends readonly [string, ...string[]]>(
  values: V,
  value: V[number],
  options: Options = {},
): SettingSpec<V[number]> & { readonly values: V } => ({
  default: value,
  restartsEngine: options.restartsEngine ?? false,
  values,
});

/** Every infill.* setting, keyed without the `infill.` prefix, in package.json's order. */
export const SETTINGS = {
  'model.path': plain('', ENGINE),
  'model.variant': oneOf(['auto', 'q8', 'fp32', 'fp16', 'q4'], 'auto', ENGINE),
  executionProvider: oneOf(['auto', 'cpu', 'cuda', 'dml'], 'auto', ENGINE),
  threads: plain(0, ENGINE),
  'engine.ioBinding': plain(true, ENGINE),
  'engine.idleUnloadMinutes': plain(15),
  'inline.enabled': plain(true),
  'inline.languages': plain<Record<string, boolean>>({ '*': true, plaintext: false, markdown: false, scminput: false }),
  'inline.debounceMs': plain(150),
  'inline.skipWhenTextRightOfCursor': plain(true),
  'inline.otherFilesChars': plain(1500),
  'inline.maxTokens': plain(64),
  'inline.maxLines': plain(8),
  'inline.prefixTokens': plain(1024),
  'inline.suffixTokens': plain(256),
  'fim.order': oneOf(['auto', 'psm', 'spm'], 'auto'),
  // From the FIM registry: a new family is not listed here by hand.
  'fim.family': oneOf(['auto', ...FIM_FAMILIES] as const, 'auto'),
  backend: oneOf(['local', 'openai'], 'local'),
  'remote.baseUrl': plain(''),
  'remote.model': plain(''),
  'remote.fimMode': oneOf(['suffix', 'raw'], 'suffix'),
  'remote.timeoutMs': plain(30000),
  'remote.contextWindow': plain(4096),
  'hub.endpoint': plain('https://huggingface.co'),
  'hub.offline': plain(false),
  'docstring.style': oneOf(['auto', 'google', 'numpy', 'rest'], 'auto'),
  'docstring.maxTokens': plain(128),
  // Not restartsEngine: chat's own engine is chosen by folder at each question (ChatEngines in chatModel.ts).
  'chat.model': plain(''),
  'chat.maxTokens': plain(512),
  'chat.temperature': plain(0.2),
  'chat.contextTokens': plain(1500),
  'chat.historyLimit': plain(50),
  /** Empty is Infill's default system prompt. */
  'chat.systemPrompt': plain(''),
  'sandbox.timeoutMs': plain(10000),
  'sandbox.memoryMb': plain(512),
  'tests.samples': plain(5),
  'tests.runs': plain(3),
  'tests.coverageFilter': plain(true),
  'tests.confirmExecution': plain(true),
} satisfies Record<string, SettingSpec<unknown>>;

/** The section VS Code keeps Infill's settings under. */
export const SETTINGS_SECTION = 'infill';

/** A setting's name without the section: `model.path`. */
export type SettingKey = keyof typeof SETTINGS;
/** A setting's full id: `infill.model.path`. */
export type SettingId = `${typeof SETTINGS_SECTION}.${SettingKey}`;
/** The type of a setting's value. */
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];
/** Reads settings by key, each with its type. */
export type ReadSetting = <K extends SettingKey>(key: K) => SettingValue<K>;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export const settingId = (key: SettingKey): SettingId => `${SETTINGS_SECTION}.${key}`;

/** Settings whose change needs a new engine (the model is loaded with them), as full ids for affectsConfiguration. */
export const ENGINE_SETTINGS: readonly SettingId[] = SETTING_KEYS.filter((key) => SETTINGS[key].restartsEngine).map(
  settingId,
);
