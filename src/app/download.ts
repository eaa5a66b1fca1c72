/** Saving a text as a file from the page. */

/** How long a download's object URL stays valid: long enough for the browser to read it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/** Saves `text` as file `filename` through a temporary link, the way every browser accepts. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel a download the browser has not started reading yet.
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}
