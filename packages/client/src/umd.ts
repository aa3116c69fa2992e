/** The UMD bundle's entry: `window.Tether` is the class itself, as `window.Pusher` is for pusher-js. */
import { Tether } from './index.js';

export default Tether;
