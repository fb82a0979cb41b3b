import { DomainRuleError } from '../domain/errors.js';
import { HttpError } from '../http/errors.js';

/** How each business rule's refusal is answered; unlisted ones are 409 Conflict. */
const STATUS_OF: Record<string, number> = {
  member_not_found: 404,
  product_not_found: 404,
  order_not_found: 404,
  invalid_amount: 400,
  invalid_quantity: 400,
  request_key_reused: 422,
};

/** Runs a domain call; a business rule's refusal becomes an HTTP answer naming the rule. */
export async function answerRefusal<T>(call: () => Promise<T>, describe: (error: DomainRuleError) => string = (error) => error.code): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DomainRuleError) throw new HttpError(STATUS_OF[error.code] ?? 409, error.code, describe(error));
    throw error;
  }
}
