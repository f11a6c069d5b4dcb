// Types of workspace.mjs for the TypeScript tests.
export function createSampleWorkspace(dir?: string): string;
