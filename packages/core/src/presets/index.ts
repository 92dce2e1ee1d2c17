/** Interoperability presets for known peers. */
export type { MastodonPreset } from './mastodon';
export { mastodonPreset, presets } from './mastodon';
