/** Mongoose field options for whole rupiah: a safe integer, never a float or Decimal128. */
export function rupiahField(options: { required?: boolean; min?: number; default?: number } = {}) {
  return {
    type: Number,
    required: options.required ?? true,
    ...(options.default !== undefined ? { default: options.default } : {}),
    ...(options.min !== undefined ? { min: options.min } : {}),
    validate: { validator: (value: number) => Number.isSafeInteger(value), message: 'rupiah amounts are whole numbers' },
  };
}
