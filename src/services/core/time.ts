/** A time to the whole second (milliseconds dropped), as several services stamp their resources. */
export function wholeSecond(d: Date | number = Date.now()): Date {
  const t = typeof d === "number" ? d : d.getTime();
  return new Date(t - (t % 1000));
}
