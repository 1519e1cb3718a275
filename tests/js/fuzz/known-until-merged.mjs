// Fuzz findings that other branches fix, expected until those branches are
// merged (issue 19). Each entry names its issue point and the branch that fixes
// it, and matches findings (`{ kind: 'trap' | 'slow' | 'hang' | 'non-finite',
// name, i, detail }`). After merging a fix, delete its entry: the fuzz harness
// then fails if the defect is still there. Keep this list empty otherwise.
export const KNOWN_UNTIL_MERGED = [];
