/**
 * The page's signing key in IndexedDB. A `CryptoKey` is stored as is (structured clone): a
 * non-extractable private key stays non-extractable, and its bytes never reach script.
 */
const databaseName = 'httpsig-example';
const storeName = 'keys';

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * @template T
 * @param {IDBTransactionMode} mode @param {(store: IDBObjectStore) => IDBRequest<T>} action
 * @returns {Promise<T>}
 */
async function run(mode, action) {
  const database = await open();
  try {
    return await new Promise((resolve, reject) => {
      const request = action(database.transaction(storeName, mode).objectStore(storeName));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    database.close();
  }
}

/**
 * @typedef {{ keyid: string, alg: string, privateKey: CryptoKey }} StoredKey
 */

/** @returns {Promise<StoredKey | undefined>} */
export const loadKey = () => run('readonly', (store) => store.get('client'));

/** @param {StoredKey} value */
export const saveKey = (value) => run('readwrite', (store) => store.put(value, 'client'));
