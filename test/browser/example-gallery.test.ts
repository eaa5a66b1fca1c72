/// <reference types="mocha" />
// <example-gallery> in real Chromium: a card for every example with its picture, title and
// description; Open (by mouse, on the card, or from the keyboard) asks for that example once.
import { expect } from '@esm-bundle/chai';
import '../../src/app/example-gallery.ts';
import type { ExampleGallery, OpenExampleDetail } from '../../src/app/example-gallery.ts';
import { exampleList } from '../../src/examples/index.ts';
import { t } from '../../src/examples/strings.ts';
import { sendKeys } from './server-command.ts';
import { nextFrame, waitFor } from './wait-for.ts';

let container: HTMLDivElement;
let opened: string[];
const record = (event: CustomEvent<OpenExampleDetail>) => opened.push(event.detail.name);

beforeEach(() => {
  opened = [];
  // On the document: the event must leave the gallery's shadow root.
  document.addEventListener('open-example', record);
});

afterEach(() => {
  document.removeEventListener('open-example', record);
  container?.remove();
});

/** A gallery as wide as a 1024-pixel screen's dialog would make it. */
async function mount(width = 960): Promise<ExampleGallery> {
  container = document.createElement('div');
  container.style.cssText = `width: ${width}px; font-family: sans-serif;`;
  const gallery = document.createElement('example-gallery');
  container.append(gallery);
  document.body.append(container);
  await gallery.updateComplete;
  return gallery;
}

function cards(gallery: ExampleGallery): HTMLLIElement[] {
  return [...gallery.shadowRoot!.querySelectorAll('li')];
}

function openButton(gallery: ExampleGallery, name: string): HTMLButtonElement {
  const button = gallery.shadowRoot!.querySelector<HTMLButtonElement>(
    `button[data-example="${name}"]`,
  );
  if (!button) throw new Error(`no Open button for ${name}`);
  return button;
}

describe('<example-gallery>', () => {
  it('shows a card for every example: picture, title, description, Open', async () => {
    const gallery = await mount();
    const shown = cards(gallery);
    expect(shown.length).to.equal(exampleList.length);
    for (const [i, example] of exampleList.entries()) {
      const card = shown[i];
      expect(card.querySelector('h3')!.textContent!.trim()).to.equal(t(example.title));
      expect(card.querySelector('p')!.textContent!.trim()).to.equal(t(example.description));
      const button = openButton(gallery, example.name);
      expect(card.contains(button)).to.equal(true);
      expect(button.textContent!.trim()).to.equal(t('openExample'));
      // Its name for a screen reader says which example it opens.
      expect(button.getAttribute('aria-label')).to.equal(
        t('openExampleLabel', { title: t(example.title) }),
      );
      const img = card.querySelector('img')!;
      await waitFor(() => img.complete, 5000, `${example.name}'s picture`);
      expect(img.naturalWidth, `${example.name}'s picture draws`).to.be.greaterThan(0);
    }
  });

  it('clicking Open asks for that example, once', async () => {
    const gallery = await mount();
    for (const { name } of exampleList) {
      openButton(gallery, name).click();
    }
    expect(opened).to.deep.equal(exampleList.map((example) => example.name));
  });

  it('clicking anywhere on a card opens it too', async () => {
    const gallery = await mount();
    const card = cards(gallery)[2];
    const img = card.querySelector('img')!;
    const box = img.getBoundingClientRect();
    const target = gallery.shadowRoot!.elementFromPoint(
      box.left + box.width / 2,
      box.top + box.height / 2,
    );
    expect(target).to.equal(img);
    img.click();
    expect(opened).to.deep.equal([exampleList[2].name]);
  });

  it('works from the keyboard: Tab reaches each Open button in order, Enter or Space opens', async () => {
    const gallery = await mount();
    const before = document.createElement('button');
    before.textContent = 'before';
    container.prepend(before);
    before.focus();
    for (const { name } of exampleList) {
      await sendKeys({ press: 'Tab' });
      expect(gallery.shadowRoot!.activeElement).to.equal(openButton(gallery, name));
    }
    await sendKeys({ press: 'Enter' });
    openButton(gallery, exampleList[0].name).focus();
    await sendKeys({ press: 'Space' });
    expect(opened).to.deep.equal([exampleList.at(-1)!.name, exampleList[0].name]);
  });

  it('fits a 1024-pixel screen: cards side by side, nothing cut off', async () => {
    const gallery = await mount(960);
    await nextFrame();
    expect(gallery.scrollWidth).to.be.at.most(gallery.clientWidth);
    const shown = cards(gallery);
    const rows = new Set(shown.map((card) => Math.round(card.getBoundingClientRect().top)));
    expect(rows.size, 'rows of cards').to.be.at.most(2);
    for (const card of shown) {
      const box = card.getBoundingClientRect();
      expect(box.width).to.be.at.least(200);
      const button = card.querySelector('button')!.getBoundingClientRect();
      expect(button.bottom).to.be.at.most(box.bottom);
      expect(button.right).to.be.at.most(box.right);
    }
  });

  it('shows only the examples it is given', async () => {
    const gallery = await mount();
    gallery.examples = exampleList.slice(1, 3);
    await gallery.updateComplete;
    expect(
      cards(gallery).map((card) => card.querySelector('button')!.dataset.example),
    ).to.deep.equal(['button-publish', 'two-boards-chat']);
  });
});
