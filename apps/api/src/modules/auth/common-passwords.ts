/**
 * A small list of the passwords (and password stems) people pick most often, from public
 * breach-frequency lists. The policy rejects a password that is one of these, or one of these
 * with digits and symbols added at either end (`Password2024!`), or one of them typed twice.
 * Everything is lower case; the check lower-cases the password first.
 */
export const commonPasswords: ReadonlySet<string> = new Set([
  // stems: a password made of one of these plus digits or symbols is common
  'password', 'passw0rd', 'p@ssword', 'p@ssw0rd', 'pass', 'passwd', 'secret', 'letmein', 'welcome', 'iloveyou', 'iloveu',
  'love', 'lovely', 'loveme', 'admin', 'administrator', 'root', 'login', 'user', 'guest', 'test', 'default', 'changeme',
  'qwerty', 'qwertz', 'azerty', 'qwertyuiop', 'qwertyuiopasdfghjkl', 'asdf', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'zxcvbnm',
  'qazwsx', 'qazwsxedc', 'qazwsxedcrfv', 'qaz2wsx', 'qaz2wsx3edc', 'zaq1xsw2', 'zaq12wsx', 'wsx3edc',
  'abc', 'abcd', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghi', 'abcdefghij', 'abcdefghijk', 'aaaa', 'asd', 'asdasd',
  'monkey', 'dragon', 'master', 'shadow', 'sunshine', 'princess', 'superman', 'batman', 'spiderman', 'starwars', 'pokemon',
  'football', 'baseball', 'basketball', 'soccer', 'hockey', 'michael', 'jennifer', 'jordan', 'charlie', 'mustang',
  'trustno', 'freedom', 'whatever', 'hello', 'hellokitty', 'computer', 'internet', 'chocolate', 'cookie', 'flower',
  'summer', 'winter', 'spring', 'autumn', 'naruto', 'kalei', 'mypassword', 'newpassword', 'yourpassword',
  // whole passwords of ten or more characters that appear near the top of breach lists
  '0123456789', '1234567890', '0987654321', '9876543210', '12345678910', '123456789a', 'a123456789', '1234567891',
  '1234512345', '1122334455', '1234554321', '123123123123', '123456123456', '147258369', '1472583690', '159357159357',
  '1q2w3e4r5t', '1q2w3e4r5t6y', '1q2w3e4r5t6y7u', 'q1w2e3r4t5', 'q1w2e3r4t5y6', '1qaz2wsx', '1qaz2wsx3edc', '1qazxsw2',
  'qwerty123456', 'qwerty12345', 'qwert12345', 'abc1234567', 'abcd123456', 'password1234', 'password123', 'passw0rd123',
  'iloveyou123', 'trustno1', 'letmein123', 'welcome123', 'princess1', 'football1', 'monkey123', 'dragon123',
]);
