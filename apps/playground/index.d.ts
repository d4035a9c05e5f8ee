export declare const playgroundDist: string;
