export declare const SAMPLES: string;
export interface SampleSpan {
    text: string;
    filler: boolean;
    start: number;
    end: number;
    voicedStart: number;
    voicedEnd: number;
}
export interface SampleFile {
    path: string;
    fps?: string;
    frames?: number;
    duration?: number;
    speech?: SampleSpan[];
    sceneCuts?: number[];
    expect?: string;
    bytes: number;
    sha256: string;
}
export interface SampleManifest {
    generatorVersion: number;
    fps: string;
    size: string;
    files: Record<string, SampleFile>;
}
/** Generate samples/out once per test process (a no-op when up to date) and return its manifest. */
export declare function samples(): SampleManifest;
/** Absolute path of a generated sample by manifest key (e.g. 'talk', 'scenesA', 'badZero'). */
export declare function sample(key: string): string;
//# sourceMappingURL=samples.d.ts.map