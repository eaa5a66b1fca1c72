/** The classroom wall's entry (`src/class/index.html`): the `<classroom-wall>` element. */
import './classroom-wall.ts';
