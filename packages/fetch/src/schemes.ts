/** Whether a fetch response refuses the signature scheme (the double-knock trigger). */
import { isProblemType, refusesScheme } from '@httpsig/core';

export type { SchemeMemory, SignatureScheme } from '@httpsig/core';

/** Whether `response` refuses the signature scheme, so the other one is worth a try. */
export async function responseRefusesScheme(response: Response): Promise<boolean> {
  if (response.status !== 400 || !isProblemType(response.headers.get('content-type'))) {
    return refusesScheme(response.status);
  }
  try {
    // A clone, so a 400 that is returned after all still has its body.
    return refusesScheme(response.status, await response.clone().json());
  } catch {
    return false;
  }
}
