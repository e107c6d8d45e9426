import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DifyAppParameters } from '../dify/service/app-info.js';
import { appFeatures, declaredInputs, imageIntake } from './app-features.js';

test('images: the newer file_upload shape, image.transfer_methods winning over the general methods', () => {
  assert.deepEqual(imageIntake({ enabled: true, allowed_file_types: ['image'], allowed_file_upload_methods: ['local_file', 'remote_url'] }), { localFile: true, remoteUrl: true });
  assert.deepEqual(
    imageIntake({ enabled: true, allowed_file_types: ['image', 'document'], allowed_file_upload_methods: ['local_file'], image: { enabled: true, transfer_methods: ['remote_url'] } }),
    { localFile: false, remoteUrl: true },
  );
  assert.deepEqual(imageIntake({ enabled: true, allowed_file_types: [] }), { localFile: true, remoteUrl: true }, 'no restriction: any');
  assert.equal(imageIntake({ enabled: true, allowed_file_types: ['document'] }), undefined, 'documents only');
  assert.equal(imageIntake({ enabled: false, image: { enabled: true } }), undefined, 'enabled: false wins');
});

test('images: the legacy {image: …} shape', () => {
  assert.deepEqual(imageIntake({ image: { enabled: true, number_limits: 3, transfer_methods: ['local_file'] } }), { localFile: true, remoteUrl: false });
  assert.equal(imageIntake({ image: { enabled: false, transfer_methods: ['local_file'] } }), undefined);
  assert.equal(imageIntake(undefined), undefined);
});

test('user_input_form: single-key objects, the key is the control type; malformed entries skipped', () => {
  const form = [
    { 'text-input': { label: 'City', variable: 'city', required: true, max_length: 48, default: '' } },
    { select: { label: 'Tier', variable: 'tier', required: false, options: ['a', 'b'] } },
    { paragraph: { label: 'Note', variable: 'note', required: false, max_length: 0 } },
    { 'text-input': { label: 'no variable' } },
    'junk',
  ];
  assert.deepEqual(
    declaredInputs(form).map((i) => [i.variable, i.type, i.required, i.maxLength, i.options]),
    [
      ['city', 'text-input', true, 48, undefined],
      ['tier', 'select', false, undefined, ['a', 'b']],
      ['note', 'paragraph', false, undefined, undefined],
    ],
  );
});

test('features from /parameters: speech both ways, opening statement, image size limit in bytes', () => {
  const features = appFeatures({
    opening_statement: '你好',
    speech_to_text: { enabled: true },
    text_to_speech: { enabled: false },
    user_input_form: [],
    file_upload: {},
    system_parameters: { file_size_limit: 15, image_file_size_limit: 4, audio_file_size_limit: 50, video_file_size_limit: 100 },
  } as unknown as DifyAppParameters);
  assert.deepEqual(features, { inputs: [], images: undefined, imageLimitBytes: 4 * 1024 * 1024, speechToText: true, textToSpeech: false, openingStatement: '你好' });
});
