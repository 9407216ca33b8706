/** A Map used as a bounded cache: insertion order, oldest evicted first. Returns whether it evicted. */
export function remember<V>(cache: Map<string, V>, cap: number, key: string, value: V): boolean {
  const evict = cache.size >= cap && !cache.has(key);
  if (evict) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return evict;
}
