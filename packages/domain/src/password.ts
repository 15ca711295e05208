/** Password policy: at least 8 characters drawn from at least 3 of lower, upper, digit, symbol. */
export const PASSWORD_MIN_LENGTH = 8;

export function passwordClasses(pw: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
}

export function isStrongPassword(pw: string): boolean {
  return pw.length >= PASSWORD_MIN_LENGTH && pw.length <= 128 && passwordClasses(pw) >= 3;
}
