/** The node's software version (reported by `node/info`); bumped with package.json. */
export const MUSHER_VERSION = "0.1.0";
