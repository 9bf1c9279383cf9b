/**
 * Prometheus text metrics: request counts by route and status, latency (a summary with p50/p95/p99 over
 * the last 2000 requests, plus sum and count), and gauges the service sets (queue depth, running jobs).
 */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();
  private readonly latencies: number[] = [];
  private latencySum = 0;
  private latencyCount = 0;

  constructor(readonly prefix: string) {}

  inc(name: string, labels: Record<string, string | number> = {}, by = 1): void {
    const key = `${this.prefix}_${name}${fmtLabels(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  gauge(name: string, read: () => number): void {
    this.gauges.set(`${this.prefix}_${name}`, read);
  }

  observeLatency(seconds: number): void {
    this.latencies.push(seconds);
    if (this.latencies.length > 2000) this.latencies.shift();
    this.latencySum += seconds;
    this.latencyCount++;
  }

  quantile(q: number): number {
    if (!this.latencies.length) return 0;
    const s = [...this.latencies].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  }

  render(): string {
    const lines: string[] = [];
    const typed = new Set<string>();
    for (const [key, v] of [...this.counters].sort()) {
      const name = key.replace(/\{.*$/, '');
      if (!typed.has(name)) lines.push(`# TYPE ${name} counter`);
      typed.add(name);
      lines.push(`${key} ${v}`);
    }
    for (const [name, read] of [...this.gauges].sort())
      lines.push(`# TYPE ${name} gauge`, `${name} ${read()}`);
    const lat = `${this.prefix}_request_duration_seconds`;
    lines.push(`# TYPE ${lat} summary`);
    for (const q of [0.5, 0.95, 0.99]) lines.push(`${lat}{quantile="${q}"} ${this.quantile(q).toFixed(6)}`);
    lines.push(`${lat}_sum ${this.latencySum.toFixed(6)}`, `${lat}_count ${this.latencyCount}`);
    return `${lines.join('\n')}\n`;
  }
}

function fmtLabels(labels: Record<string, string | number>): string {
  const e = Object.entries(labels);
  if (!e.length) return '';
  return `{${e.map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
