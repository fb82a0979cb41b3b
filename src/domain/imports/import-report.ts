/** A row an import refused, by the file line it is on; nothing of the file is written when there is one. */
export interface ImportRejection {
  line: number;
  productId?: string;
  memberNumber?: string;
  errors: string[];
}

/** Collects problems per line, so one row with several faults is one rejection listing them all. */
export class RejectionList {
  private readonly byLine = new Map<number, ImportRejection>();

  add(line: number, error: string, label: Omit<ImportRejection, 'line' | 'errors'> = {}): void {
    const rejection = this.byLine.get(line) ?? { line, ...label, errors: [] };
    if (!rejection.errors.includes(error)) rejection.errors.push(error);
    this.byLine.set(line, rejection);
  }

  get size(): number {
    return this.byLine.size;
  }

  list(): ImportRejection[] {
    return [...this.byLine.values()].sort((a, b) => a.line - b.line);
  }
}
