/**
 * The constants of the compact story row (`storyColumn`, layout in its
 * header), shared by its encoder (`StoryRowEncoder`) and decoder. They are
 * on disk: never renumber them.
 */
export const storyRowLayout = {
  /** The row's first byte. */
  version: 1,
  /** Bits of the `present` byte: which optional fields follow. */
  hasDesc: 1,
  hasLastDelete: 2,
  hasUndeleted: 4,
  hasLog: 8,
} as const;
