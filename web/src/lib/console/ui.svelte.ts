import { loadMessages, type Messages } from '#lib/i18n.ts';
import { type ConsoleLanguage, type ConsoleMessages, loadConsoleMessages } from './i18n.ts';

/** The console's language (a preference, kept in local storage; never anything about a session). */
export const LANGUAGE_KEY = 'ocs-console-language';

/**
 * What every console page renders with: its language, the console messages and the site's
 * messages (country names, the progress figures), and the polite live region's text.
 */
class ConsoleUi {
  lang = $state<ConsoleLanguage>('en');
  #cm = $state.raw<ConsoleMessages | null>(null);
  #m = $state.raw<Messages | null>(null);
  announcement = $state('');

  get ready(): boolean {
    return this.#cm !== null && this.#m !== null;
  }

  /** The console messages (the layout renders pages only once they are loaded). */
  get cm(): ConsoleMessages {
    if (!this.#cm) throw new Error('Console messages are not loaded yet.');
    return this.#cm;
  }

  /** The site's messages in the same language. */
  get m(): Messages {
    if (!this.#m) throw new Error('Site messages are not loaded yet.');
    return this.#m;
  }

  async setLanguage(lang: ConsoleLanguage): Promise<void> {
    const [cm, m] = await Promise.all([loadConsoleMessages(lang), loadMessages(lang)]);
    this.#cm = cm;
    this.#m = m;
    this.lang = lang;
    document.documentElement.lang = lang;
    try {
      localStorage.setItem(LANGUAGE_KEY, lang);
    } catch {
      // Storage may be refused; the choice then lasts for this page only.
    }
  }

  /** Says `text` in the live region (again, even when it is the same text as last time). */
  announce(text: string): void {
    this.announcement = '';
    // After a render with the region empty, so screen readers hear a repeated text too.
    setTimeout(() => {
      this.announcement = text;
    }, 50);
  }
}

export const ui = new ConsoleUi();
