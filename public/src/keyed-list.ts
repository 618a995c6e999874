// A sorted list of elements keyed by row key. A change touches one element: it is updated in place and
// moved only when its sort position changed. Filtering hides elements (they keep their place), so the
// DOM order always equals the sort order and a move is a single insertBefore.

export interface KeyedListOptions<T> {
  /** A total order (break ties by key) so that binary search finds every row. */
  compare(a: T, b: T, aKey: string, bKey: string): number;
  create(row: T, key: string): HTMLElement;
  update(element: HTMLElement, row: T, previous: T): void;
  /** Whether a row passes the current filter. */
  visible?(row: T): boolean;
  /** Called after the number of visible rows may have changed. */
  onCountChange?(visible: number, total: number): void;
}

export class KeyedList<T> {
  private readonly elements = new Map<string, HTMLElement>();
  private readonly rows = new Map<string, T>();
  /** Keys in sort order; the container's children are in the same order. */
  private order: string[] = [];
  private visibleCount = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: KeyedListOptions<T>,
  ) {}

  /** Replaces the whole list, built off-document in one fragment. */
  reset(entries: Iterable<[string, T]>): void {
    this.elements.clear();
    this.rows.clear();
    for (const [key, row] of entries) this.rows.set(key, row);
    this.order = [...this.rows.keys()].sort((a, b) => this.compareKeys(a, b));
    const fragment = document.createDocumentFragment();
    this.visibleCount = 0;
    for (const key of this.order) {
      const row = this.rows.get(key)!;
      const element = this.options.create(row, key);
      this.applyVisibility(element, row);
      this.elements.set(key, element);
      fragment.appendChild(element);
    }
    this.container.replaceChildren(fragment);
    this.notifyCount();
  }

  upsert(key: string, row: T): void {
    const element = this.elements.get(key);
    const previous = this.rows.get(key);
    if (!element || previous === undefined) {
      this.insert(key, row);
      return;
    }
    const oldIndex = this.indexOf(key, previous);
    this.rows.set(key, row);
    this.options.update(element, row, previous);
    const wasVisible = !element.hidden;
    if (wasVisible) this.visibleCount -= 1;
    this.applyVisibility(element, row);
    if (wasVisible !== !element.hidden) this.notifyCount();

    // Still between its neighbours? Then nothing moves.
    const before = oldIndex > 0 ? this.order[oldIndex - 1] : undefined;
    const after = oldIndex < this.order.length - 1 ? this.order[oldIndex + 1] : undefined;
    if ((before === undefined || this.compareKeys(before, key) < 0) && (after === undefined || this.compareKeys(key, after) < 0)) return;

    this.order.splice(oldIndex, 1);
    const newIndex = this.insertionIndex(key);
    this.order.splice(newIndex, 0, key);
    const next = this.order[newIndex + 1];
    this.container.insertBefore(element, next === undefined ? null : this.elements.get(next)!);
  }

  remove(key: string): void {
    const element = this.elements.get(key);
    const row = this.rows.get(key);
    if (!element || row === undefined) return;
    this.order.splice(this.indexOf(key, row), 1);
    this.elements.delete(key);
    this.rows.delete(key);
    if (!element.hidden) this.visibleCount -= 1;
    element.remove();
    this.notifyCount();
  }

  /** How many rows the list holds, shown or not. */
  get size(): number {
    return this.order.length;
  }

  /**
   * Repaints one row and re-applies the filter to it, after something outside the row that its element
   * shows or its filter reads changed (the row itself is the same).
   */
  refresh(key: string): void {
    const element = this.elements.get(key);
    const row = this.rows.get(key);
    if (!element || row === undefined) return;
    this.options.update(element, row, row);
    const wasVisible = !element.hidden;
    if (wasVisible) this.visibleCount -= 1;
    this.applyVisibility(element, row);
    if (wasVisible !== !element.hidden) this.notifyCount();
  }

  /** Calls `visit` for every row that passes the filter, in order. */
  forEachVisible(visit: (element: HTMLElement, row: T) => void): void {
    for (const key of this.order) {
      const element = this.elements.get(key)!;
      if (!element.hidden) visit(element, this.rows.get(key)!);
    }
  }

  /** Re-applies the filter to every row (after the filter changed). */
  refilter(): void {
    this.visibleCount = 0;
    for (const key of this.order) this.applyVisibility(this.elements.get(key)!, this.rows.get(key)!);
    this.notifyCount();
  }

  private insert(key: string, row: T): void {
    this.rows.set(key, row);
    const index = this.insertionIndex(key);
    this.order.splice(index, 0, key);
    const element = this.options.create(row, key);
    this.elements.set(key, element);
    this.applyVisibility(element, row);
    const next = this.order[index + 1];
    this.container.insertBefore(element, next === undefined ? null : this.elements.get(next)!);
    this.notifyCount();
  }

  private applyVisibility(element: HTMLElement, row: T): void {
    const show = this.options.visible ? this.options.visible(row) : true;
    if (element.hidden === show) element.hidden = !show;
    if (show) this.visibleCount += 1;
  }

  private notifyCount(): void {
    this.options.onCountChange?.(this.visibleCount, this.order.length);
  }

  private compareKeys(a: string, b: string): number {
    return this.options.compare(this.rows.get(a)!, this.rows.get(b)!, a, b);
  }

  /** Where `key` (whose row is already in `rows`) belongs in `order`, which does not contain it. */
  private insertionIndex(key: string): number {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compareKeys(this.order[middle]!, key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Index of `key` in `order`, found with the row it was sorted by. */
  private indexOf(key: string, sortedBy: T): number {
    const current = this.rows.get(key);
    this.rows.set(key, sortedBy);
    // The first position not before `key` is `key`'s own when compare is a total order.
    const index = this.insertionIndex(key);
    if (current !== undefined) this.rows.set(key, current);
    if (this.order[index] === key) return index;
    return this.order.indexOf(key); // only if compare is not a total order; still correct, just slower
  }
}
