// Types of thirdParty.mjs for the TypeScript tests.
export type ThirdPartyKit = 's3' | 'ipfs';
export function thirdPartyDir(kit: ThirdPartyKit): string;
export function thirdPartyVersions(kit: ThirdPartyKit): Record<string, string>;
export function thirdPartyReady(kit: ThirdPartyKit): boolean;
export function ensureThirdPartyKit(kit: ThirdPartyKit): Promise<string>;
export function ensureThirdPartyServers(): Promise<Record<ThirdPartyKit, string>>;
