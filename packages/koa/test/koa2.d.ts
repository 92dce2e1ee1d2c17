// Koa 2 (installed under the alias `koa2`) has the same API as Koa 3's types describe.
declare module 'koa2' {
  import Koa = require('koa');
  export = Koa;
}
