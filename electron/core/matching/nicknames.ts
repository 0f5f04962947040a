/**
 * Given names that are the same name: short forms and nicknames (Bill/William, Bibi/Benjamin)
 * and the same name in other European languages (John/Juan/Johann/Jean, Peter/Pedro/Pyotr).
 * Source: common English hypocorisms and cognates as listed in reference name dictionaries;
 * kept small on purpose: each group is a claim that two spellings may be one person.
 */
const GROUPS: string[][] = [
  ['william', 'bill', 'billy', 'will', 'willy', 'liam', 'wilhelm', 'guillermo', 'guillaume'],
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'roberto'],
  ['richard', 'dick', 'rick', 'ricky', 'rich', 'ricardo'],
  ['james', 'jim', 'jimmy', 'jamie', 'jaime', 'diego'],
  ['michael', 'mike', 'mick', 'mickey', 'miguel', 'mikhail', 'misha', 'michel'],
  ['benjamin', 'ben', 'benji', 'bibi', 'benny'],
  ['theodore', 'ted', 'teddy', 'theo', 'fyodor', 'teodoro'],
  ['barack', 'barry'],
  ['edward', 'ed', 'eddie', 'ned', 'eduardo', 'edouard'],
  ['elizabeth', 'liz', 'beth', 'betty', 'eliza', 'lisa', 'elisabeth', 'isabel'],
  ['margaret', 'maggie', 'meg', 'peggy', 'margarita', 'marguerite'],
  ['katherine', 'catherine', 'kate', 'kathy', 'cathy', 'katie', 'ekaterina', 'katya', 'catalina'],
  ['alexander', 'alex', 'sasha', 'alec', 'aleksandr', 'alexandr', 'alejandro', 'alessandro', 'alexandre'],
  ['vladimir', 'volodya', 'vova', 'volodymyr'],
  ['dmitry', 'dmitri', 'dima', 'dmytro'],
  ['yevgeny', 'evgeny', 'evgeniy', 'zhenya', 'eugene'],
  ['ivan', 'vanya'],
  ['john', 'jack', 'johnny', 'jon', 'juan', 'johann', 'johannes', 'jean', 'giovanni', 'sean', 'hans', 'joao'],
  ['joseph', 'joe', 'jose', 'giuseppe', 'josef', 'yusuf', 'youssef', 'yosef'],
  ['thomas', 'tom', 'tommy', 'tomas', 'tomasz'],
  ['anthony', 'tony', 'antonio', 'anton', 'antoine'],
  ['christopher', 'chris', 'cristobal', 'christoph'],
  ['daniel', 'dan', 'danny', 'daniil'],
  ['david', 'dave', 'davide', 'dawood', 'daoud'],
  ['matthew', 'matt', 'mateo', 'matteo', 'matvey', 'mathieu'],
  ['nicholas', 'nick', 'nikolai', 'nikolay', 'nicolas', 'nicola', 'mykola'],
  ['peter', 'pete', 'pyotr', 'petr', 'pedro', 'pierre', 'pietro', 'piotr', 'petro'],
  ['paul', 'pablo', 'paolo', 'pavel', 'pawel', 'paulo'],
  ['stephen', 'steven', 'steve', 'stefan', 'esteban', 'stepan', 'stephane'],
  ['francis', 'frank', 'francisco', 'francois', 'franz', 'francesco', 'paco'],
  ['charles', 'charlie', 'chuck', 'carlos', 'karl', 'carl', 'carlo'],
  ['henry', 'harry', 'hank', 'enrique', 'heinrich', 'henri'],
  ['george', 'jorge', 'georgy', 'georgiy', 'giorgio', 'georg'],
  ['andrew', 'andy', 'andrei', 'andrey', 'andres', 'andreas', 'andrea', 'andriy'],
  ['sergey', 'sergei', 'serge', 'sergio', 'serhiy'],
  ['abraham', 'abe', 'ibrahim'],
  ['solomon', 'suleiman', 'sulayman', 'shlomo'],
  ['moses', 'musa', 'moshe'],
  ['jacob', 'jakob', 'yaakov', 'yakub', 'yacoub', 'jacques', 'jake'],
];

const GROUP_OF = new Map<string, number[]>();
GROUPS.forEach((g, i) => {
  for (const n of g) GROUP_OF.set(n, [...(GROUP_OF.get(n) ?? []), i]);
});

/** True when two given names are forms of the same name. */
export function sameGivenName(a: string, b: string): boolean {
  const ga = GROUP_OF.get(a);
  const gb = GROUP_OF.get(b);
  return Boolean(ga && gb && ga.some((x) => gb.includes(x)));
}

/** The other forms of a given name (empty when it is in no group). */
export function givenNameForms(token: string): string[] {
  const out = new Set<string>();
  for (const g of GROUP_OF.get(token) ?? []) for (const n of GROUPS[g]!) if (n !== token) out.add(n);
  return [...out];
}
