/** The paragraphs of 45 CFR 170.315(b)(11)(iv)(B) in the regulation's order, typed from the regulation (not from src). */
export const HTI1_PARAGRAPHS = [
  '(B)(1)(i)', '(B)(1)(ii)', '(B)(1)(iii)', '(B)(1)(iv)',
  '(B)(2)(i)', '(B)(2)(ii)', '(B)(2)(iii)', '(B)(2)(iv)',
  '(B)(3)(i)', '(B)(3)(ii)',
  '(B)(4)(i)', '(B)(4)(ii)', '(B)(4)(iii)', '(B)(4)(iv)',
  '(B)(5)(i)', '(B)(5)(ii)',
  '(B)(6)(i)', '(B)(6)(ii)', '(B)(6)(iii)', '(B)(6)(iv)',
  '(B)(7)(i)', '(B)(7)(ii)', '(B)(7)(iii)', '(B)(7)(iv)', '(B)(7)(v)',
  '(B)(8)(i)', '(B)(8)(ii)', '(B)(8)(iii)', '(B)(8)(iv)',
  '(B)(9)(i)', '(B)(9)(ii)',
] as const; // prettier-ignore
