// Latency of one query node as an M/M/c queue: searches arrive at rate λ, each occupies one of c
// cores for an exponentially distributed time of mean S. A search fans out to every query node of
// a replica and returns when the slowest answers, so its P99 is the node's 1 - 0.01/n quantile.
// Exponential service is the conservative textbook choice (Kleinrock, Queueing Systems vol. 1,
// M/M/c with the Erlang C formula).

/** Erlang C: the probability that an arrival waits, for c servers at offered load a = λS (erlangs). */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  // Erlang B by its stable recurrence, then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

/** P(T > t) for the sojourn time T (wait + service) of an M/M/c queue; rates per ms. */
function sojournTail(t: number, c: number, lambda: number, mu: number, pWait: number): number {
  const a = c * mu - lambda; // rate of the wait's exponential tail
  const serviceTail = Math.exp(-mu * t);
  const convolved = Math.abs(a - mu) < 1e-12 ? (1 + mu * t) * Math.exp(-mu * t) : (a * Math.exp(-mu * t) - mu * Math.exp(-a * t)) / (a - mu);
  return (1 - pWait) * serviceTail + pWait * convolved;
}

/** The q-quantile (0..1) of the sojourn time, ms, for a stable queue (λ < cμ). */
export function sojournQuantile(q: number, c: number, lambdaPerMs: number, serviceMs: number): number {
  const mu = 1 / serviceMs;
  const pWait = erlangC(c, lambdaPerMs * serviceMs);
  const target = 1 - q;
  let lo = 0;
  let hi = serviceMs;
  while (sojournTail(hi, c, lambdaPerMs, mu, pWait) > target) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (sojournTail(mid, c, lambdaPerMs, mu, pWait) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Mean number of searches waiting (not yet on a core) in a stable M/M/c queue. */
export function meanQueueLength(c: number, lambdaPerMs: number, serviceMs: number): number {
  const a = lambdaPerMs * serviceMs;
  if (a >= c) return Infinity;
  const rho = a / c;
  return (erlangC(c, a) * rho) / (1 - rho);
}
