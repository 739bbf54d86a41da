/** A fixed-size history: charts read from it while training appends, without growing memory. */
export class Ring<T> {
  private items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  push(x: T): void {
    if (this.items.length < this.capacity) this.items.push(x);
    else {
      this.items[this.start] = x;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}
