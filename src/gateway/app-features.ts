/**
 * What a Dify app accepts and offers, read from its `/parameters` (dify-api.md §8): the declared inputs, whether
 * it takes images and how, speech to text, text to speech, the opening statement. Pure: no I/O.
 */
import type { DifyAppParameters } from '../dify/service/app-info.js';

/** One variable of the app's input form. */
export interface DeclaredInput {
  variable: string;
  /** The control type: `text-input`, `paragraph`, `select`, `number`, `checkbox`, `file`, … */
  type: string;
  required: boolean;
  /** Characters (text) or files (file-list); only enforced by Dify when set and non-zero. */
  maxLength: number | undefined;
  /** The choices of a `select`. */
  options: string[] | undefined;
  default: unknown;
}

/** How the app takes images in `files`: which transfer methods it allows. */
export interface ImageIntake {
  localFile: boolean;
  remoteUrl: boolean;
}

/** The app's features that change how the gateway talks to it. */
export interface AppFeatures {
  inputs: DeclaredInput[];
  /** Undefined when the app takes no images (Dify would silently ignore them). */
  images: ImageIntake | undefined;
  /** Dify's upload limit for images, in bytes (`system_parameters.image_file_size_limit`, MB). */
  imageLimitBytes: number;
  speechToText: boolean;
  textToSpeech: boolean;
  /** Empty when the app has none. */
  openingStatement: string;
}

const MB = 1024 * 1024;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const enabled = (v: unknown): boolean => isRecord(v) && v.enabled === true;

/** The app's features from its `/parameters` answer. */
export function appFeatures(params: DifyAppParameters): AppFeatures {
  const limitMb = params.system_parameters?.image_file_size_limit;
  return {
    inputs: declaredInputs(params.user_input_form),
    images: imageIntake(params.file_upload),
    imageLimitBytes: (typeof limitMb === 'number' && limitMb > 0 ? limitMb : 10) * MB,
    speechToText: enabled(params.speech_to_text),
    textToSpeech: enabled(params.text_to_speech),
    openingStatement: typeof params.opening_statement === 'string' ? params.opening_statement : '',
  };
}

/** `user_input_form` is a list of single-key objects: `{ "<control type>": {variable, required, …} }`. */
export function declaredInputs(form: unknown): DeclaredInput[] {
  if (!Array.isArray(form)) return [];
  const inputs: DeclaredInput[] = [];
  for (const item of form) {
    if (!isRecord(item)) continue;
    const [type, spec] = Object.entries(item)[0] ?? [];
    if (type === undefined || !isRecord(spec) || typeof spec.variable !== 'string' || spec.variable === '') continue;
    const maxLength = typeof spec.max_length === 'number' && spec.max_length > 0 ? spec.max_length : undefined;
    inputs.push({
      variable: spec.variable,
      type,
      required: spec.required === true,
      maxLength,
      options: Array.isArray(spec.options) ? strings(spec.options) : undefined,
      default: spec.default,
    });
  }
  return inputs;
}

/**
 * Whether and how the app takes images, mirroring Dify's check (`_is_file_valid_with_config`): the newer shape
 * `{enabled, allowed_file_types, allowed_file_upload_methods, image?}` or the legacy `{image: {enabled,
 * transfer_methods}}`. For images, `image.transfer_methods` wins over the general methods; an empty list allows any.
 */
export function imageIntake(fileUpload: unknown): ImageIntake | undefined {
  if (!isRecord(fileUpload)) return undefined;
  const image = isRecord(fileUpload.image) ? fileUpload.image : undefined;
  let methods: string[];
  if ('enabled' in fileUpload) {
    if (fileUpload.enabled !== true) return undefined;
    const types = strings(fileUpload.allowed_file_types);
    if (types.length > 0 && !types.includes('image')) return undefined;
    methods = image && Array.isArray(image.transfer_methods) ? strings(image.transfer_methods) : strings(fileUpload.allowed_file_upload_methods);
  } else {
    if (!image || image.enabled !== true) return undefined;
    methods = strings(image.transfer_methods);
  }
  const any = methods.length === 0;
  return { localFile: any || methods.includes('local_file'), remoteUrl: any || methods.includes('remote_url') };
}
