/** A line as the resident asked for it; prices are looked up when the cart is priced. */
export interface CartLine {
  productId: string;
  unit: string;
  quantity: number;
  /** Set when bought by money ("minyak 10 ribu"): the line total is this amount. */
  amountRp?: number;
}
