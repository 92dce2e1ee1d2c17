// express4 is an npm alias of express@4; its API is typed like express (the calls used are common to both).
declare module 'express4' {
  import express = require('express');
  export = express;
}
